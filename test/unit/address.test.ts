import { grpcTarget, socketPath } from '../../internal/client/address';

describe('addresses', () => {
  it('accepts the three forms containerd dials', () => {
    expect(grpcTarget('/run/containerd/containerd.sock')).toBe('unix:///run/containerd/containerd.sock');
    expect(grpcTarget('unix:///run/containerd/containerd.sock')).toBe('unix:///run/containerd/containerd.sock');
    expect(grpcTarget('unix://run/x.sock')).toBe(`unix://${process.cwd()}/run/x.sock`);
  });
  it('makes relative paths absolute', () => {
    expect(socketPath('x.sock')).toBe(`${process.cwd()}/x.sock`);
  });
  it('rejects an empty path', () => {
    expect(() => socketPath('unix://')).toThrow(/no socket path/);
  });
});
