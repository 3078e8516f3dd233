/**
 * Ordered, append-only. Never edit or reorder a migration that has shipped: add a new one.
 * Imported statically so a bundle always carries every migration.
 */
import type { SqlEngine } from '../engine';
import { m001Initial } from './001_initial';
import { m002Risk } from './002_risk';
import { m003Text } from './003_text';
import { m004Models } from './004_models';
import { m005Routing } from './005_routing';
import { m006Connectors } from './006_connectors';
import { m007SignalIndexes } from './007_signal_indexes';

export interface Migration {
  version: number;
  name: string;
  up(engine: SqlEngine): void;
}

export const MIGRATIONS: readonly Migration[] = [
  m001Initial,
  m002Risk,
  m003Text,
  m004Models,
  m005Routing,
  m006Connectors,
  m007SignalIndexes,
];
