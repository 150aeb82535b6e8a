#!/usr/bin/env node
// The same CLI as apikey.cjs (package.json's bin), kept for anything that still runs this path. It starts a little
// slower: an ES module entry makes Node set up its ESM loader even for --help.
import '../dist/main.js';
