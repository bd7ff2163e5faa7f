import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The links between the repository's documents: every relative link of README.md and docs/*.md
 * names a file of the repository, and every `#anchor` a heading of its target, so that the
 * citations of docs/api.md and docs/admin.md in comments and docs lead somewhere.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DOCUMENTS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The anchor a heading gets: lower case, punctuation dropped, spaces as `-`, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading = ''] of withoutCode.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const slug = heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The relative links of a document, outside code blocks. */
function linksOf(markdown: string): string[] {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)]
    .flatMap((match) => (match[1] === undefined ? [] : [match[1]]))
    .filter((target) => !/^[a-z]+:/.test(target));
}

describe('links between the documents', () => {
  it.each(DOCUMENTS)('%s links only to files and headings that exist', (document) => {
    const broken: string[] = [];
    for (const link of linksOf(readFileSync(path.join(ROOT, document), 'utf8'))) {
      const [file = '', anchor] = link.split('#');
      const target = file === '' ? path.join(ROOT, document) : path.resolve(path.dirname(path.join(ROOT, document)), file);
      if (!existsSync(target)) broken.push(`${link} (no such file)`);
      else if (anchor !== undefined && !anchorsOf(readFileSync(target, 'utf8')).has(anchor)) broken.push(`${link} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });

  it('has every docs/api.md and docs/admin.md citation of the code name a heading', () => {
    const sources = ['src', 'test', 'bench', 'scripts'].flatMap((folder) =>
      readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
        .filter((name) => /\.(ts|sql|mjs)$/.test(name))
        .map((name) => path.join(folder, name)),
    );
    const anchors = {
      'api.md': anchorsOf(readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8')),
      'admin.md': anchorsOf(readFileSync(path.join(ROOT, 'docs/admin.md'), 'utf8')),
    };
    const citations: string[] = [];
    const broken: string[] = [];
    for (const source of sources) {
      for (const [citation, file, anchor = ''] of readFileSync(path.join(ROOT, source), 'utf8').matchAll(/docs\/(api\.md|admin\.md)#([\w-]+)/g)) {
        citations.push(citation);
        if (!anchors[file as keyof typeof anchors].has(anchor)) broken.push(`${source}: ${citation}`);
      }
    }
    expect(citations.length).toBeGreaterThanOrEqual(15);
    expect(broken).toEqual([]);
  });

  it('computes anchors as the rendered headings get them, and finds the links', () => {
    expect(linksOf('See [rules](docs/api.md#common-rules), `[not](a.md)` and [site](https://example.org).')).toEqual(['docs/api.md#common-rules']);
    const anchors = anchorsOf('# permits/push\n## push / update / delete — decisions\n### Duplicates (9022)\n## Notes\n## Notes\n');
    expect([...anchors]).toEqual(['permitspush', 'push--update--delete--decisions', 'duplicates-9022', 'notes', 'notes-1']);
  });
});
