import { table, tabwriteText } from '../../internal/output/tabwriter';

const spaces = { minwidth: 1, tabwidth: 8, padding: 1, padchar: ' ' as const };

describe('tabwriter', () => {
  it('pads every terminated cell to its column width, as ctr images ls', () => {
    const out = table(['REF', 'TYPE', 'LABELS'], [['a:1', 'application/x', '-'], ['bb:22', 't', 'k=v']], spaces);
    expect(out).toBe('REF   TYPE          LABELS \na:1   application/x -      \nbb:22 t             k=v    \n');
  });

  it('leaves unterminated row ends alone, as ctr tasks ls', () => {
    const out = table(['TASK', 'PID', 'STATUS'], [['fmt1', '16848', 'RUNNING']], { minwidth: 4, tabwidth: 8, padding: 4, padchar: ' ' }, { rowsTerminated: false });
    expect(out).toBe('TASK    PID      STATUS    \nfmt1    16848    RUNNING\n');
  });

  it('pads with tabs to tab stops, as ctr content ls', () => {
    const digest = 'sha256:' + 'a'.repeat(64);
    const out = table(['DIGEST', 'SIZE', 'AGE', 'LABELS'], [[digest, '213B', '4 minutes', 'x=y']], { minwidth: 1, tabwidth: 8, padding: 1, padchar: '\t' }, { headerTerminated: false, rowsTerminated: false });
    expect(out).toBe(`DIGEST${'\t'.repeat(9)}SIZE\tAGE\t\tLABELS\n${digest}\t213B\t4 minutes\tx=y\n`);
  });

  it('aligns column blocks only across the lines that have the column', () => {
    const text = 'Type:\t io.x\nExports:\t\n\t root \t /p\n\t\t\t\n';
    const out = tabwriteText(text, { minwidth: 4, tabwidth: 8, padding: 4, padchar: ' ' });
    expect(out.split('\n')).toEqual(['Type:        io.x', 'Exports:    ', '             root      /p', ' '.repeat(26), '']);
  });

  it('renders a header alone when there are no rows', () => {
    expect(table(['NAME', 'LABELS'], [], spaces)).toBe('NAME LABELS \n');
  });
});
