/** Test helper: a page's distinct vocabulary as the page layer would collect it (words ≥ 8 chars + bigrams). */
export function vocabularyOf(text: string, cap = 2000): string[] {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const words = line.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
    for (let i = 0; i < words.length && out.size < cap; i++) {
      if (words[i].length >= 8) out.add(words[i]);
      if (i + 1 < words.length) {
        const bi = `${words[i]} ${words[i + 1]}`;
        if (bi.length >= 12) out.add(bi);
      }
    }
  }
  return [...out].slice(0, cap);
}
