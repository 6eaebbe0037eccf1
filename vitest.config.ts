import { defineConfig } from 'vitest/config';

// One run for every test. Files run one at a time: system tests share the machine's namespaces, loop devices,
// apache, pacemaker and qemu, and timing-sensitive checks must not fight each other for the two cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 300_000,
    reporters: ['default'],
  },
});
