import type { Links } from '../../lib/index.ts';

/**
 * The real `Links`, loaded on first use so a system that never links to another organisation
 * never loads rhea: what `createSystem` plugs in by default.
 */
export const lazyAmqp10Links: Links = {
  listen: async (options, onSession) => (await loadAmqp10()).listen(options, onSession),
  connect: async (options) => (await loadAmqp10()).connect(options),
};

async function loadAmqp10(): Promise<Links> {
  return (await import('./amqp10-links.ts')).amqp10Links;
}
