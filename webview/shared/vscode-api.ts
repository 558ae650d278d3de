/** The webview side of the host connection: typed posting and the page's persisted state. */
interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export interface HostConnection<ViewMessage, State> {
  post(message: ViewMessage): void;
  state(): Partial<State>;
  saveState(patch: Partial<State>): void;
}

/** May be called once per page (VS Code's rule); the entry point calls it and passes it down. */
export function connectToHost<ViewMessage, State extends object>(): HostConnection<ViewMessage, State> {
  const api = acquireVsCodeApi<Partial<State>>();
  return {
    post: (message) => api.postMessage(message),
    state: () => api.getState() ?? {},
    saveState: (patch) => api.setState({ ...(api.getState() ?? {}), ...patch }),
  };
}
