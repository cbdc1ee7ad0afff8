/**
 * The sandbox in the desktop app: bundled to electron/dist/sandbox.worker.cjs and started with Electron's
 * utilityProcess.fork (see main.ts), so a packaged app needs no Node binary. It is the sandbox CLI itself:
 * it reads the same flags and prints the same one JSON ready line on stdout.
 */
import '../../connectors/sandbox/cli';
