/**
 * A pipeline that cannot run, found before anything runs: where (the stage's position and name, and the
 * field when there is one) and what is wrong. The route answers it with a 400 `invalid_pipeline`.
 */
export class PipelineError extends Error {
  constructor(
    /** `pipeline[2]`, `pipeline[1].spawn[0][3]`, or `request` for the envelope. */
    readonly at: string,
    readonly stage: string | null,
    readonly field: string | null,
    readonly problem: string,
  ) {
    super(`${at}${stage ? ` (${stage})` : ""}${field ? `, ${JSON.stringify(field)}` : ""}: ${problem}`);
    this.name = "PipelineError";
  }
}

/** Where in a pipeline the checker is, so errors can say so. */
export interface StagePlace {
  readonly at: string;
  readonly stage: string;
}

export const fail = (place: StagePlace, field: string | null, problem: string): never => {
  throw new PipelineError(place.at, place.stage, field, problem);
};
