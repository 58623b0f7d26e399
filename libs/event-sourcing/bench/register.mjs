// `node --import ./libs/event-sourcing/bench/register.mjs some-file.ts` runs TypeScript directly.
import { register } from 'node:module';

register('./swc-loader.mjs', import.meta.url);
