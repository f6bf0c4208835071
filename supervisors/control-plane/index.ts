export * from './control-protocol.ts';
export * from './control-target.ts';
export { controlActor } from './control-actor.ts';
export { ControlClient, actorChannel, type ControlChannel } from './control-client.ts';
export { AdminServer, type AdminServerOptions } from './admin-server.ts';
export { AdminSocketChannel, type AdminClientOptions } from './admin-client.ts';
export { adminDirectory, adminSocketPath, listAdminNodes, ensurePrivateDirectory } from './admin-socket-path.ts';
export { encodeAdminFrame, decodeAdminBody, AdminFrameReader, MAX_ADMIN_FRAME_BYTES } from './admin-frames.ts';
export { AdminRequestSchema, AdminResponseSchema, type AdminRequest, type AdminResponse } from './admin-messages.ts';
