import { createContext, type ReactNode, useContext, useId } from "react";

/** The field a 400 named (`steps[0].content.blocks[2].url`) and what it said, for the editor to show in place. */
export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

export const FieldProblemContext = createContext<FieldProblem | null>(null);

/** The API's problem with the field at `path`, if it named that one. */
export function useProblemAt(path: string): string | undefined {
  const problem = useContext(FieldProblemContext);
  return problem && problem.field === path ? problem.problem : undefined;
}

/** A labelled control with its note and, when the API named it, the problem beside it. */
export function Field(props: {
  label: string;
  path: string;
  note?: ReactNode;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  const problem = useProblemAt(props.path);
  const problemId = `${id}-problem`;
  return (
    <div className={problem ? "stack field has-problem" : "stack field"}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, problem ? problemId : undefined)}
      {problem ? (
        <p className="field-problem" id={problemId} role="alert">
          {problem}
        </p>
      ) : null}
      {props.note ? <p className="muted">{props.note}</p> : null}
    </div>
  );
}

/** A problem with a whole part (`steps`, a block) rather than one control. */
export function PartProblem(props: { path: string }) {
  const problem = useProblemAt(props.path);
  return problem ? (
    <p className="field-problem" role="alert">
      {problem}
    </p>
  ) : null;
}
