#!/usr/bin/env node
// zkdrill's command line. Exit codes: 0 passed, 1 a check failed, 2 bad input or environment, 130 interrupted.
import { Command, CommanderError } from "commander";
import { imagesCommand } from "./images";
import { downCommand } from "./down";
import { planCommand } from "./plan";
import { listCommand, runCommand } from "./run";
import { reportCommand } from "./report";
import { composeCommand } from "./compose";
import { upCommand } from "./up";
import { doctorCommand } from "./doctor";
import { exitCodeFor } from "./errors";

const program = new Command()
  .name("zkdrill")
  .description("Chaos and disaster-recovery drills for Apache ZooKeeper, on real containers")
  .showHelpAfterError()
  .exitOverride();

program.addCommand(listCommand());
program.addCommand(planCommand());
program.addCommand(runCommand());
program.addCommand(imagesCommand());
program.addCommand(upCommand());
program.addCommand(downCommand());
program.addCommand(reportCommand());
program.addCommand(composeCommand());
program.addCommand(doctorCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  console.error(`zkdrill: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(exitCodeFor(err));
});
