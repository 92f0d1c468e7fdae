/**
 * Our own local AWS: an in-process emulator that speaks the real AWS wire protocols and runs the
 * data plane for real. Empty until the Local AWS issues land.
 */
package com.thephillymojo.ws.localstack;
