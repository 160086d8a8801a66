#!/usr/bin/env node
/**
 * CDK entry point (cdk.json runs it with tsx). Configuration comes from CDK context; see the README section "Deploying".
 * The Lambda is bundled from src/handler.ts at synth time by scripts/bundle.mjs. A configuration error prints one
 * line and exits 2 (see runApp).
 */
import { runApp } from '../lib/create-app';

process.exitCode = runApp();
