// zod/mini installs no locale: without English, zod's own messages (a record's
// invalid key, "Too big: expected number to be <=3") would read "Invalid input".
// Every module that parses with zod imports this for its side effect, so the
// locale is configured once, whichever of them a command (or a test) loads first.
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

z.config(en());
