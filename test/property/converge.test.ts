// The core promise, as a property: whatever the manifest asks and whatever the store holds, after
// apply a new plan shows no changes.
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/apply/executor.js';
import { makePlan } from '../../src/engine/make-plan.js';
import { openScenario } from '../support/scenario.js';

const word = fc.stringMatching(/^[a-z]{1,10}$/);
const line = fc.stringMatching(/^[A-Za-z0-9 ,.!?'-]{1,60}$/).map((s) => s.trim() || 'x');
const screenshots = fc
  .shuffledSubarray([1, 2, 3, 4, 5], { minLength: 3, maxLength: 5 })
  .map((ns) => ns.map((n) => `fixtures/images/screenshot-${n}.png`));

const wanted = fc.record({
  apk: fc.constantFrom(100, 101, 102, 103),
  title: line,
  recentChanges: fc.array(line, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('\n')),
  keywords: fc.uniqueArray(word, { minLength: 1, maxLength: 5 }),
  bullets: fc.array(line, { minLength: 0, maxLength: 3 }),
  screenshots,
  video: fc.boolean(),
  phone: fc.option(fc.constantFrom('+1-206-555-0100', '+49-30-555-0100'), { nil: undefined }),
  date: fc.option(fc.constantFrom('2027-01-15T09:00:00', '2027-03-01T00:00:00'), { nil: undefined }),
  withState: fc.boolean(),
});

type Wanted = typeof wanted extends fc.Arbitrary<infer T> ? T : never;

const yamlString = (s: string) => JSON.stringify(s);

function manifestFor(w: Wanted): string {
  return [
    'version: 1',
    'app: { id: amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef }',
    'apks:',
    `  - file: fixtures/apks/plain-v${w.apk}.apk`,
    '    slot: APK1',
    'listings:',
    '  en-US:',
    `    title: ${yamlString(w.title)}`,
    `    recentChanges: ${yamlString(w.recentChanges)}`,
    `    keywords: [${w.keywords.join(', ')}]`,
    `    featureBullets: [${w.bullets.map(yamlString).join(', ')}]`,
    '    images:',
    '      small-icons: fixtures/images/icon-114.png',
    `      screenshots: [${w.screenshots.join(', ')}]`,
    `    videos: [${w.video ? 'fixtures/media/trailer.mp4' : ''}]`,
    'details:',
    '  contactEmail: help@acme.example',
    ...(w.phone ? [`  contactPhone: ${yamlString(w.phone)}`] : []),
    ...(w.date ? ['availability:', `  publishingDate: { dateTime: "${w.date}", zoneId: US/Pacific }`] : []),
    '',
  ].join('\n');
}

describe('convergence', () => {
  it('after any apply, a new plan shows no changes', async () => {
    await fc.assert(
      fc.asyncProperty(wanted, async (w) => {
        const run = await openScenario(w.withState ? 'no-changes' : 'images-without-state');
        try {
          writeFileSync(run.workspace.manifestPath, manifestFor(w));
          const manifest = await run.reload();
          const { plan } = await makePlan(manifest, run.session.api);
          const result = await apply({ api: run.session.api, manifest, plan });
          expect(result.outcomes.filter((o) => o.outcome !== 'applied')).toEqual([]);
          const again = await makePlan(manifest, run.session.api);
          expect(again.plan.actions).toEqual([]);
        } finally {
          await run.close();
        }
      }),
      { numRuns: 25, seed: 20261203 },
    );
  });
});
