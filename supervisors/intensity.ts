// The sliding window lives in lib, where actors that supervise the children they spawn use it too.
export { RestartIntensity, type IntensityOptions } from '../lib/restart-intensity.ts';
