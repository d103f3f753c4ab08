// The schema is what editors show while typing: it must agree with the shared tables and describe
// every property.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LOCALE_PATTERN } from '../../src/appstore/rules.js';
import { CONTACT_FIELDS, IMAGE_TYPES, LISTING_FIELDS } from '../../src/appstore/types.js';
import { didYouMean, editDistance } from '../../src/manifest/did-you-mean.js';
import { REPO } from './workspace.js';

type SchemaNode = {
  $id?: string;
  $schema?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  $defs?: Record<string, SchemaNode>;
  items?: SchemaNode;
  $ref?: string;
};

const schema = JSON.parse(
  await readFile(join(REPO, 'schemas/appstore.release.schema.json'), 'utf8'),
) as SchemaNode & { $defs: Record<string, SchemaNode> };

describe('schemas/appstore.release.schema.json', () => {
  test('is a 2020-12 schema with an $id and a version field', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/^https:\/\/.+\/appstore\.release\.schema\.json$/);
    expect(schema.properties?.version).toMatchObject({ const: 1 });
  });

  test('every property has a description (editors show it on hover)', () => {
    const missing: string[] = [];
    const visit = (node: SchemaNode, path: string) => {
      for (const [name, child] of Object.entries({ ...node.properties, ...node.patternProperties })) {
        if (typeof child.description !== 'string' || child.description === '')
          missing.push(`${path}/${name}`);
        visit(child, `${path}/${name}`);
      }
      if (node.items !== undefined) visit(node.items, `${path}/items`);
    };
    visit(schema, '#');
    for (const [name, def] of Object.entries(schema.$defs)) visit(def, `#/$defs/${name}`);
    expect(missing).toEqual([]);
  });

  test('agrees with the shared tables: locales, listing fields, image types, contact fields', () => {
    expect(Object.keys(schema.properties?.listings?.patternProperties ?? {})).toEqual([
      LOCALE_PATTERN.source,
    ]);
    const listing = schema.$defs.listing?.properties ?? {};
    expect(Object.keys(listing)).toEqual([...LISTING_FIELDS, 'images', 'videos']);
    expect(Object.keys(listing.images?.properties ?? {})).toEqual([...IMAGE_TYPES]);
    expect(Object.keys(schema.properties?.details?.properties ?? {}).sort()).toEqual(
      [...CONTACT_FIELDS].sort(),
    );
  });
});

describe('did you mean', () => {
  test('suggests the closest key within two edits, ignoring case', () => {
    expect(editDistance('titel', 'title')).toBe(2);
    expect(didYouMean('titel', ['title', 'keywords'])).toBe('title');
    expect(didYouMean('Title', ['title'])).toBe('title');
    expect(didYouMean('screenshot', IMAGE_TYPES)).toBe('screenshots');
  });

  test('stays quiet when nothing is close', () => {
    expect(didYouMean('colour', ['title', 'keywords'])).toBeUndefined();
    expect(didYouMean('x', ['id'])).toBeUndefined();
  });
});
