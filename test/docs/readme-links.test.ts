/**
 * The README is a door a newcomer reads in minutes: at most 12 KB, and every link in it, and in the
 * docs/ it leads to, reaches a file that exists and, for a `#fragment`, a heading of that file.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const README_LIMIT_BYTES = 12 * 1024;

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number} _-]/gu, '')
    .replace(/ /g, '-');

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1] ?? '')));
}

/** The relative links of a Markdown file (code blocks aside), as [target file, fragment]. */
function linksOf(file: string): { target: string; fragment?: string; text: string }[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] ?? '')
    .filter((link) => !/^[a-z]+:/i.test(link))
    .map((link) => {
      const [target = '', fragment] = link.split('#');
      return { target: target ? path.resolve(path.dirname(file), target) : file, fragment, text: link };
    });
}

const markdown = [
  path.join(root, 'README.md'),
  ...readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join(root, 'docs', name)),
];

describe('the README and docs/', () => {
  it(`keep the README at most ${README_LIMIT_BYTES / 1024} KB`, () => {
    expect(statSync(path.join(root, 'README.md')).size).toBeLessThanOrEqual(README_LIMIT_BYTES);
  });

  it.each(markdown.map((file) => [path.relative(root, file), file]))(
    'every relative link of %s resolves, to a heading where it names one',
    (_name, file) => {
      const broken = linksOf(file).filter(
        ({ target, fragment }) =>
          !existsSync(target) || (fragment !== undefined && !anchorsOf(target).has(fragment)),
      );
      expect(broken.map((link) => link.text)).toEqual([]);
    },
  );

  it('say what is true of methods: a Function cannot see one, so admin functions answer GET as POST', () => {
    const admin = readFileSync(path.join(root, 'docs/admin.md'), 'utf8');
    expect(admin).toContain('A Twilio Function cannot see the HTTP method');
    expect(admin).toContain('answers a `GET` exactly as it answers a `POST`');
  });
});
