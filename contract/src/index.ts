export * from './errors.js';
export * from './auth.js';
export * from './keys.js';
export * from './system.js';
export * from './events.js';
export * from './hub.js';
export * from './profiles.js';
export * from './servers.js';
