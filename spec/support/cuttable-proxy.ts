/** The link-loss specs' proxy is the one the DMZ float demo cuts its links with. */
export { startCuttableProxy, type CuttableProxy } from '../../examples/dmz-float/link-cutter.ts';
