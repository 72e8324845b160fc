#!/usr/bin/env node
import { exitQuietlyOnBrokenPipe } from "./epipe.js";
import { runCli } from "./program.js";

// The AWS SDK warns on every run under Node 20 that its 2027 releases will need Node 22. auditpack
// pins its SDK versions and supports Node 20, so the CLI keeps the warning out of its output (the
// SDK's own switch; set it to "false" to see the warning again). The library leaves it alone.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

exitQuietlyOnBrokenPipe();
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
