import { SparkifyError } from '../../core/errors.ts';

/** The error of a DAG that breaks a rule of the authoring API; thrown where the mistake is made, so its stack names the line. */
export const dagInvalid = (message: string, details: Record<string, unknown> = {}) =>
  new SparkifyError('SPK_E_DAG_INVALID', message, { details });
