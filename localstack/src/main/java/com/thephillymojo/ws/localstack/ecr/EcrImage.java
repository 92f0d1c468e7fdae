package com.thephillymojo.ws.localstack.ecr;

import java.time.Instant;
import java.util.List;

/** One manifest stored in a repository: its bytes, media type, digest and the blobs it names. */
public record EcrImage(String digest, String mediaType, byte[] manifest, long sizeInBytes, Instant pushedAt,
                       String configDigest, List<String> layerDigests) {
}
