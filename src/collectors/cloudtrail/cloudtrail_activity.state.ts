import { addActivity } from "../../state/activity.js";
import type { StateAdapter } from "../../state/adapter.js";

/** Events change the states the other adapters built: all of one account and region at once. */
export const state: StateAdapter = {
  mode: "scope",
  kinds: [],
  add: addActivity,
};
