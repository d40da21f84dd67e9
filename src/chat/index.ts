// Chat core: router, commands, memory, rate limits, roles, feedback. Channel adapters call createChatCore().handle().
export { type ChatCore, createChatCore } from './core';
export { type FeedbackRecord, type FeedbackStats, type FeedbackStore, openFeedbackStore } from './feedback';
export { PgFeedbackStore } from './feedback-pg';
export type { AnswerLog } from './answer-log';
export { MemoryAnswerLog } from './answer-log-memory';
export { PgAnswerLog } from './answer-log-pg';
export { type ChatLimitStores, memoryLimitStores } from './limits';
export { type ConversationStore, MemoryConversationStore } from './memory';
export { PgConversationStore } from './memory-pg';
export { PgProcessedEvents } from './processed-events-pg';
export type { DocumentIntake } from './documents';
export { DISCLAIMER, msg } from './messages';
export { actionSchema, decodeAction, encodeAction } from './actions';
export { BOT_COMMANDS } from './commands';
export { roleOfIdentity } from './roles';
