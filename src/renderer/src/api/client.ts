/** The renderer's single client. Pages import `api` and never learn which transport is underneath. */
import type { BellwetherClient } from '../../../shared/api';
import { createClient } from './transport';

export const api: BellwetherClient = createClient();
