// Each bad manifest of fixtures/manifests, loaded for real: the problem comes back as a diagnostic with
// its code and the line of the YAML it is about, never as an exception.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Diagnostic, type LoadResult, loadManifest } from '../../src/manifest/index.js';
import { lineOf, MANIFEST_NAME, removeWorkspaces, type Workspace, workspace } from './workspace.js';

afterAll(removeWorkspaces);

function diagnosticsOf(result: LoadResult): Diagnostic[] {
  if (result.ok) throw new Error('expected the manifest to be invalid');
  return result.diagnostics;
}

/** Loads a fixture that must fail with exactly one diagnostic, and returns it with the fixture. */
async function single(fixture: string): Promise<{ d: Diagnostic; ws: Workspace }> {
  const ws = await workspace({ fixture });
  const diags = diagnosticsOf(await ws.load());
  expect(diags, JSON.stringify(diags, null, 2)).toHaveLength(1);
  return { d: diags[0] as Diagnostic, ws };
}

describe('YAML that cannot be read as a manifest', () => {
  test('malformed YAML is reported with its line', async () => {
    const { d, ws } = await single('malformed.yaml.txt');
    expect(d).toMatchObject({ severity: 'error', code: 'yaml-syntax', file: MANIFEST_NAME });
    // The flow sequence opened on the keywords line runs into the next key.
    expect(d.line).toBe(lineOf(ws.manifestText, 'shortDescription:'));
    expect(d.message).toMatch(/^Malformed YAML: .*\]/);
  });

  test('a top-level list is not a manifest', async () => {
    const { d } = await single('top-level-list.yaml');
    expect(d).toMatchObject({ code: 'manifest-not-mapping', line: 1, column: 1 });
    expect(d.message).toContain('but it is a list');
  });

  test('a top-level scalar is not a manifest', async () => {
    const { d } = await single('top-level-scalar.yaml');
    expect(d).toMatchObject({ code: 'manifest-not-mapping', line: 1 });
    expect(d.message).toContain('but it is a single string');
  });

  test('an empty file is reported as empty', async () => {
    const ws = await workspace('# nothing yet\n');
    const diags = diagnosticsOf(await ws.load());
    expect(diags.map((d) => d.code)).toEqual(['manifest-empty']);
  });

  test('a duplicate key is reported at its second occurrence', async () => {
    const { d, ws } = await single('duplicate-keys.yaml');
    expect(d).toMatchObject({
      code: 'yaml-duplicate-key',
      line: lineOf(ws.manifestText, 'Acme Notes Pro'),
      column: 5,
    });
    expect(d.message).toBe("Duplicate key 'title'.");
  });

  test('several YAML documents in one file are refused', async () => {
    const ws = await workspace('version: 1\n---\nversion: 1\n');
    const diags = diagnosticsOf(await ws.load());
    expect(diags.map((d) => [d.code, d.line])).toEqual([['yaml-multiple-documents', 2]]);
  });

  test('an alias to an undefined anchor is a diagnostic, not a crash', async () => {
    const ws = await workspace('version: 1\napp: *nowhere\n');
    const diags = diagnosticsOf(await ws.load());
    expect(diags.map((d) => d.code)).toContain('yaml-syntax');
  });

  test('a missing manifest file is a diagnostic', async () => {
    const ws = await workspace('version: 1\n');
    const diags = diagnosticsOf(await loadManifest(join(ws.dir, 'nope.yaml'), { cwd: ws.dir }));
    expect(diags).toEqual([expect.objectContaining({ code: 'manifest-not-found', file: 'nope.yaml' })]);
  });

  test('a manifest that is not UTF-8 is a diagnostic', async () => {
    const ws = await workspace('version: 1\n');
    await ws.write(MANIFEST_NAME, Buffer.from([0x76, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    expect(diagnosticsOf(await ws.load()).map((d) => d.code)).toEqual(['manifest-not-utf8']);
  });
});

describe('schema problems', () => {
  let ws: Workspace;
  let diags: Diagnostic[];
  beforeAll(async () => {
    ws = await workspace({ fixture: 'wrong-types.yaml' });
    diags = diagnosticsOf(await ws.load());
  });

  test('wrong types are each reported once, at the value, in plain English', () => {
    const at = (fragment: string) => lineOf(ws.manifestText, fragment);
    expect(diags.map((d) => [d.code, d.line, d.message])).toEqual([
      ['invalid-value', at('version:'), "version must be 1, not the string '1'."],
      ['wrong-type', at('file: fixtures/apks'), 'apks must be a list, not a mapping.'],
      [
        'wrong-type',
        at('title: 42'),
        'listings.en-US.title must be a string or a mapping { file: PATH }, not the number 42.',
      ],
      [
        'wrong-type',
        at('keywords: notes'),
        "listings.en-US.keywords must be a list or a mapping { file: PATH }, not the string 'notes'.",
      ],
      [
        'wrong-type',
        at('screenshots:'),
        'listings.en-US.images.screenshots must be a path or a list of paths, not a mapping.',
      ],
      ['wrong-type', at('listings: "yes"'), "prune.listings must be true or false, not the string 'yes'."],
    ]);
  });

  test('no ajv wording leaks into messages', () => {
    for (const d of diags) expect(d.message).not.toMatch(/must NOT have|must match pattern|instancePath/);
  });

  test('unknown keys are reported at the key, with a did-you-mean hint', async () => {
    const unknown = await workspace({ fixture: 'unknown-keys.yaml' });
    const found = diagnosticsOf(await unknown.load());
    const at = (fragment: string) => lineOf(unknown.manifestText, fragment);
    expect(found.map((d) => [d.code, d.line, d.column, d.hint])).toEqual([
      ['unknown-key', at('slott:'), 5, "Did you mean 'slot'?"],
      ['unknown-key', at('titel:'), 5, "Did you mean 'title'?"],
      ['unknown-key', at('screenshot:'), 7, "Did you mean 'screenshots'?"],
      ['invalid-locale', at('en_GB:'), 3, "Did you mean 'en-GB'?"],
      ['unknown-key', at('detials:'), 1, "Did you mean 'details'?"],
    ]);
    expect(found[1]?.message).toBe("Unknown key 'titel' in listings.en-US.");
    expect(found[1]?.path).toBe('/listings/en-US/titel');
  });

  test('an unknown key with no close match lists the known keys instead', async () => {
    const other = await workspace(
      `version: 1\napp:\n  id: amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef\n  name: Acme\n`,
    );
    const found = diagnosticsOf(await other.load());
    expect(found.map((d) => [d.code, d.line, d.hint])).toEqual([['unknown-key', 4, 'Known keys here: id.']]);
  });

  test('an image type written directly under a locale points to images:', async () => {
    const other = await workspace(
      'version: 1\napp:\n  id: amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef\nlistings:\n  en-US:\n    screenshots: a.png\n',
    );
    const found = diagnosticsOf(await other.load());
    expect(found.map((d) => [d.code, d.line])).toEqual([['unknown-key', 6]]);
    expect(found[0]?.hint).toContain("go under 'images:'");
  });

  test('an empty value is reported at its key, and an empty locale gets a hint', async () => {
    const other = await workspace(
      'version: 1\napp:\n  id: amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef\nlistings:\n  en-US:\n    title:\n  de-DE:\n',
    );
    const found = diagnosticsOf(await other.load());
    expect(found.map((d) => [d.code, d.line, d.column])).toEqual([
      ['wrong-type', 6, 5],
      ['wrong-type', 7, 3],
    ]);
    expect(found[1]?.hint).toBe('Write {} for a locale that takes everything from defaults.');
  });

  test('an empty image list is one problem, not two', async () => {
    const other = await workspace(
      'version: 1\napp:\n  id: amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef\nlistings:\n  en-US:\n    images: { screenshots: [] }\n',
    );
    const found = diagnosticsOf(await other.load());
    expect(found.map((d) => [d.code, d.message])).toEqual([
      ['invalid-value', 'listings.en-US.images.screenshots must list at least 1 entry.'],
    ]);
  });

  test('a missing required key is reported at its parent', async () => {
    const other = await workspace('version: 1\napp:\n  idd: x\n');
    const found = diagnosticsOf(await other.load());
    expect(found.map((d) => [d.code, d.line, d.message])).toEqual([
      ['missing-key', 2, "app is missing the required key 'id'."],
      ['unknown-key', 3, "Unknown key 'idd' in app."],
    ]);
  });
});

describe('files the manifest names', () => {
  test('missing files are reported at the line that names them', async () => {
    const ws = await workspace({ fixture: 'missing-files.yaml' });
    const diags = diagnosticsOf(await ws.load());
    const at = (fragment: string) => lineOf(ws.manifestText, fragment);
    expect(diags.map((d) => [d.code, d.line])).toEqual([
      ['file-not-found', at('build/app-release.apk')],
      ['file-not-found', at('store/en-US/full.txt')],
      ['file-not-found', at('icon-114-missing.png')],
    ]);
    expect(diags[1]?.message).toBe(
      'File not found: store/en-US/full.txt (listings.en-US.fullDescription.file).',
    );
  });

  test('a directory where a file is expected', async () => {
    const { d, ws } = await single('directory-as-file.yaml');
    expect(d).toMatchObject({ code: 'not-a-file', line: lineOf(ws.manifestText, 'fixtures/images }') });
    expect(d.message).toContain('fixtures/images is a directory');
  });

  test('a glob that matches no file', async () => {
    const { d, ws } = await single('glob-no-match.yaml');
    expect(d).toMatchObject({ code: 'glob-no-match', line: lineOf(ws.manifestText, 'phone-*.png') });
  });

  test('a path leaving the manifest folder is an error, and accepted with allowOutsidePaths', async () => {
    const { d, ws } = await single('outside-path.yaml');
    expect(d).toMatchObject({
      severity: 'error',
      code: 'path-outside',
      line: lineOf(ws.manifestText, '../shared'),
    });
    expect(d.hint).toContain('--allow-outside');

    await mkdir(join(ws.root, 'shared-store-texts'));
    await writeFile(join(ws.root, 'shared-store-texts/en-US.txt'), 'Shared description.\r\n');
    const allowed = await ws.load({ allowOutsidePaths: true });
    if (!allowed.ok) throw new Error(JSON.stringify(allowed.diagnostics));
    expect(allowed.manifest.listings[0]?.text.fullDescription).toBe('Shared description.');
  });

  test('a glob reaching outside the folder is an error too', async () => {
    const ws = await workspace(
      'version: 1\napp:\n  id: amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef\nlistings:\n  en-US:\n    videos: ["../*.mp4"]\n',
    );
    const diags = diagnosticsOf(await ws.load());
    expect(diags.map((d) => [d.code, d.line])).toEqual([['path-outside', 6]]);
  });
});

describe('text rules', () => {
  test('a 4001-character description (code points, after CRLF to LF) is too long', async () => {
    const { d, ws } = await single('description-too-long.yaml');
    expect(d).toMatchObject({ code: 'text-too-long', line: lineOf(ws.manifestText, 'fullDescription:') });
    expect(d.message).toBe(
      'listings.en-US.fullDescription (from fixtures/manifests/text/description-4001.txt) is 4001 characters long; the Appstore allows at most 4000.',
    );
  });

  test('a keyword with a space', async () => {
    const { d, ws } = await single('keyword-with-space.yaml');
    expect(d).toMatchObject({
      code: 'keyword-not-single-word',
      line: lineOf(ws.manifestText, '- dark mode'),
      column: 9,
    });
    expect(d.hint).toBe('Split it into separate keywords: dark, mode.');
  });
});

describe('images', () => {
  test('a PNG of an undocumented size is a warning, and the manifest stays valid', async () => {
    const ws = await workspace({ fixture: 'wrong-image-size.yaml' });
    const result = await ws.load();
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    expect(result.warnings.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['warning', 'image-size', lineOf(ws.manifestText, 'wrong-size-100x100.png')],
    ]);
    expect(result.warnings[0]?.message).toBe(
      'fixtures/images/wrong-size-100x100.png is 100×100; small-icons are documented as 114×114.',
    );
  });

  test('a JPEG named .png is an error', async () => {
    const ws = await workspace({ fixture: 'jpeg-named-png.yaml' });
    const diags = diagnosticsOf(await ws.load());
    const errors = diags.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.line])).toEqual([
      ['image-format-mismatch', lineOf(ws.manifestText, 'jpeg-named.png')],
    ]);
    expect(errors[0]?.message).toBe(
      'fixtures/images/jpeg-named.png is a JPEG image, but its name ends in .png.',
    );
  });

  test('a JPEG where only PNG is accepted is an error even when named .jpg', async () => {
    const ws = await workspace(
      'version: 1\napp:\n  id: amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef\nlistings:\n  en-US:\n    images:\n      large-icons: fixtures/images/photo-1024x600.jpg\n',
    );
    const diags = diagnosticsOf(await ws.load());
    expect(diags.filter((d) => d.severity === 'error').map((d) => [d.code, d.line])).toEqual([
      ['image-format', 7],
    ]);
  });
});

describe('APKs the reader refuses', () => {
  let ws: Workspace;
  let diags: Diagnostic[];
  beforeAll(async () => {
    ws = await workspace({ fixture: 'bad-apks.yaml' });
    diags = diagnosticsOf(await ws.load());
  });
  const find = (name: string) => {
    const line = lineOf(ws.manifestText, name);
    const found = diags.filter((d) => d.line === line);
    expect(found).toHaveLength(1);
    return found[0] as Diagnostic;
  };

  test('a truncated APK', () => {
    const d = find('truncated.apk');
    expect(d).toMatchObject({ code: 'apk-truncated', column: 11, path: '/apks/0/file' });
    expect(d.message).toMatch(/^fixtures\/apks\/truncated\.apk is truncated/);
  });

  test('an Android App Bundle', () => {
    expect(find('fake.aab')).toMatchObject({ code: 'apk-is-aab' });
  });

  test('a zip without AndroidManifest.xml', () => {
    expect(find('no-manifest.apk')).toMatchObject({ code: 'apk-no-manifest' });
  });

  test('a 0-byte file', () => {
    expect(find('empty.apk')).toMatchObject({ code: 'apk-empty' });
  });

  test('messages name the file as written in the manifest, never an absolute path', () => {
    expect(diags).toHaveLength(4);
    for (const d of diags) expect(d.message).not.toContain(ws.dir);
  });
});

test('several problems are reported at once, sorted by line then column', async () => {
  const ws = await workspace({ fixture: 'several-problems.yaml' });
  const diags = diagnosticsOf(await ws.load());
  const at = (fragment: string) => lineOf(ws.manifestText, fragment);
  expect(diags.map((d) => [d.line, d.code])).toEqual([
    [at('mobileapp.ABC'), 'invalid-app-id'],
    [at('plain-v100.apk'), 'apk-slot-required'],
    [at('plain-v102.apk'), 'apk-slot-required'],
    [at('titel:'), 'unknown-key'],
    [at('to do'), 'keyword-not-single-word'],
    [at('screenshots:'), 'image-count'],
    [at('nope.png'), 'file-not-found'],
    [at('not-an-email'), 'invalid-value'],
  ]);
  const positions = diags.map((d) => (d.line ?? 0) * 1000 + (d.column ?? 0));
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
});
