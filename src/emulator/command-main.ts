// Runs `astro-access emulator` on its own: npx tsx src/emulator/command-main.ts [options]
import { runEmulatorCommand } from './command.ts';

process.exitCode = await runEmulatorCommand(process.argv.slice(2));
