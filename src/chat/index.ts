// Chat core: router, commands, memory, rate limits, roles, feedback. Channel adapters call createChatCore().handle().
export { type ChatCore, createChatCore } from './core';
export { type FeedbackRecord, type FeedbackStats, type FeedbackStore, openFeedbackStore } from './feedback';
export { DISCLAIMER, msg } from './messages';
export { actionSchema, decodeAction, encodeAction } from './actions';
export { BOT_COMMANDS } from './commands';
export { roleOfIdentity } from './roles';
