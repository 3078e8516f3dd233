/**
 * Ordered, append-only. Never edit or reorder a migration that has shipped: add a new one.
 * Imported statically so a bundle always carries every migration.
 */
import type { SqlEngine } from '../engine';
import { m001Initial } from './001_initial';

export interface Migration {
  version: number;
  name: string;
  up(engine: SqlEngine): void;
}

export const MIGRATIONS: readonly Migration[] = [m001Initial];
