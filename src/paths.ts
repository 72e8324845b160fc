import path from "node:path";
import { fileURLToPath } from "node:url";

/** The package root (works from src/ under tsx/vitest and from dist/ once built). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const templatePath = (...parts: string[]): string => path.join(PACKAGE_ROOT, "templates", ...parts);
export const controlsPath = (...parts: string[]): string => path.join(PACKAGE_ROOT, "controls", ...parts);
export const fixturesPath = (...parts: string[]): string =>
  path.join(PACKAGE_ROOT, "evidence-fixtures", ...parts);
