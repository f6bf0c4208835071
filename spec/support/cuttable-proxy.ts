/** The link-loss specs' proxy is the one `airlock/testing` ships (the DMZ float demo cuts its links with it too). */
export { startCuttableProxy, type CuttableProxy } from '../../testing/index.ts';
