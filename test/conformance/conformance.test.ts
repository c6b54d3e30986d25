/**
 * Our api/proto against the definitions Debian ships for containerd 1.6 and
 * 2.x and for CRI (fetched by scripts/fetch-debs.sh, never installed): any
 * difference in the wire contract fails.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureDebs } from '../helpers/debs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const conformance = require('../../scripts/lib/conformance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { OUR_PROTO_DIR } = require('../../scripts/lib/upstream');

describe('wire conformance with containerd 1.6, 2.x and CRI', () => {
  let releases: { name: string }[];
  beforeAll(() => {
    const cache = ensureDebs();
    releases = conformance.releaseModels(cache);
  });

  it('has no difference in packages, services, methods, messages, enums, fields', () => {
    const result = conformance.compare({ releases });
    // Printed so a run records which releases were compared.
    console.log(`compared with: ${result.releases.join('; ')}; ours: ${JSON.stringify(result.counted)}`);
    expect(result.releases).toHaveLength(3);
    expect(result.counted.services).toBeGreaterThanOrEqual(20);
    expect(result.diffs).toEqual([]);
  });

  describe('fails when our definitions drift', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-proto-'));
      fs.cpSync(OUR_PROTO_DIR, dir, { recursive: true });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const mutate = (rel: string, from: RegExp, to: string) => {
      const file = path.join(dir, rel);
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toMatch(from);
      fs.writeFileSync(file, text.replace(from, to));
    };
    const diffsOf = () => conformance.compare({ ours: conformance.ourModel(dir), releases }).diffs as string[];

    it('a changed field number', () => {
      mutate('github.com/containerd/containerd/api/services/version/v1/version.proto', /string revision = 2;/, 'string revision = 3;');
      expect(diffsOf()).toEqual(expect.arrayContaining([expect.stringMatching(/VersionResponse\.revision number 3, release has 2/)]));
    });

    it('a changed field type', () => {
      mutate('github.com/containerd/containerd/api/types/mount.proto', /string source = 2;/, 'bytes source = 2;');
      expect(diffsOf().join('\n')).toMatch(/Mount\.source type bytes, release has string/);
    });

    it('a changed streaming kind', () => {
      mutate('github.com/containerd/containerd/api/services/events/v1/events.proto', /returns \(stream \.containerd\.types\.Envelope\)/, 'returns (.containerd.types.Envelope)');
      expect(diffsOf().join('\n')).toMatch(/Events\/Subscribe streaming kind differs/);
    });

    it('a field that no release has', () => {
      mutate('github.com/containerd/containerd/api/types/platform.proto', /string variant = 3;/, 'string variant = 3;\n  string extra = 99;');
      expect(diffsOf().join('\n')).toMatch(/field containerd\.types\.Platform\.extra is in no release/);
    });

    it('a missing enum value', () => {
      mutate('github.com/containerd/containerd/api/types/task/task.proto', /\s*PAUSING = 5;/, '');
      expect(diffsOf().join('\n')).toMatch(/enum containerd\.v1\.types\.Status\.PAUSING/);
    });
  });
});
