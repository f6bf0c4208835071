/** The W3C spec's example traceparent, for the trace context specs. */
export const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
