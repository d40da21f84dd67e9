// Chat core: router, commands, memory, rate limits, roles, feedback. Channel adapters call createChatCore().handle().
export { createChatCore, feedbackButtons } from './core';
export type { ChatCore, ChatCoreDeps } from './core';
export { openFeedbackStore, SqliteFeedbackStore } from './feedback';
export type { FeedbackRecord, FeedbackStats, FeedbackStore, FeedbackVote, Vote } from './feedback';
export { BOT_COMMANDS, DISCLAIMER, msg as chatMessages } from './messages';
export { splitMessage } from '../text/split';
export { roleOf } from './roles';
export { ProcedureCatalog } from './catalog';
export { parseCommand } from './commands';
export * from '../domain/chat';
