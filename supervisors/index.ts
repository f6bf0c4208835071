export * from './child-spec.ts';
export * from './supervisor-spec.ts';
export * from './strategies.ts';
export * from './intensity.ts';

export { Supervisor, type ChildInfo, type ChildCounts } from './supervisor.ts';
export * from './errors.ts';
export { asDynamic, startDynamicChild, stopDynamicChild, listDynamicChildren, dynamicChild } from './dynamic-children.ts';
