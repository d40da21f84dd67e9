export * from './normalize';
export * from './terms';
export * from './synonyms';
export { STOPWORDS } from './stopwords';
