/** The text after a leading frontmatter block ("---" or "---yaml"/"---js" … "---"), for a block that cannot be used. */
export function stripFrontmatter(raw: string): string {
  const m = /^---[^\n]*\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/.exec(raw);
  return m ? raw.slice(m[0].length) : raw;
}
