package com.thephillymojo.ws.localstack.protocol;

/** The AWS wire protocols the emulator speaks. */
public enum Protocol { AWS_JSON_1_1, AWS_QUERY, EC2_QUERY, REST_XML }
