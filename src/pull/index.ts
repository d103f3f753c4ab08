// `pull`'s library surface: a remote state in, the files of a manifest out (pure), and their writer.

export { type PulledState, stateFileText, stateFromRemote } from './pulled-state.js';
export {
  APP_ID_PATTERN,
  defaultApkPlaceholder,
  MANIFEST_FILE,
  manifestFromRemote,
  PULL_LAYOUTS,
  PullError,
  type PullLayout,
  type PullOptions,
  type PullOutput,
  SCHEMA_ID,
  STATE_FILE,
  textFilePath,
} from './to-manifest.js';
export { checkOutputDir, conflictError, findConflicts, PullWriteError, writePulledFiles } from './write.js';
