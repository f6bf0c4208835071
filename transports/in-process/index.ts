export { InProcessTransport } from './in-process-transport.ts';
