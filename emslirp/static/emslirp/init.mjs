// Starts GOV.UK Frontend's components on every page. The library is built into
// /static/js/ by `npm run build` (static/build.mjs) from the registry's package.
import { initAll } from "../js/govuk-frontend.min.js";

initAll();
