// Chat core: router, commands, memory, rate limits, roles, feedback. Channel adapters call createChatCore().handle().
export { type ChatCore, createChatCore } from './core';
export { type FeedbackRecord, type FeedbackStats, type FeedbackStore, openFeedbackStore } from './feedback';
export { BOT_COMMANDS, DISCLAIMER, msg } from './messages';
export { roleOfIdentity } from './roles';
