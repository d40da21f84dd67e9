// What the corpus cannot answer: declined questions and 👎 votes, personal data masked, grouped by folded topic
// words (SQLite/memory and PostgreSQL stores).
export { groupKey } from './group';
export { maskPersonalData } from './mask';
export { type GapEvent, type GapGroup, type GapKind, type GapQuery, type GapStore, openGapStore } from './store';
export { PgGapStore } from './store-pg';
