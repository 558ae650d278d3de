import type { Command } from './command';

export const showOutput: Command = {
  id: 'dlDoctor.showOutput',
  needsServer: false,
  async run({ output }): Promise<void> {
    output.show(true);
  },
};
