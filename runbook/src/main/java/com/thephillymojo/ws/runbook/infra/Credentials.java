package com.thephillymojo.ws.runbook.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileLocation;

/**
 * Where the runbook's AWS credentials come from and what to do when they fail, in the sentences an
 * operator reads: the default credential chain's sources (the environment, a profile in
 * ~/.aws/config and ~/.aws/credentials, SSO, the container's and instance's roles), the profile
 * named, and how to renew it. {@code env} is the process's environment (the executor counts the JVM's
 * {@code aws.profile} property as {@code AWS_PROFILE}, as the SDK does).
 */
public final class Credentials {
    private Credentials() {
    }

    /** Whether a failure is the SDK finding no credentials it can load (not a call that got no answer). */
    static boolean unloadable(SdkClientException e) {
        return CallErrors.network(e).isEmpty() && String.valueOf(e.getMessage()).startsWith("Unable to load credentials");
    }

    static String profile(Map<String, String> env) {
        return env.getOrDefault("AWS_PROFILE", "default");
    }

    /** Where the credentials a call used came from, as far as the environment tells. */
    public static String source(Map<String, String> env) {
        if (env.containsKey("AWS_ACCESS_KEY_ID")) {
            return "in AWS_ACCESS_KEY_ID";
        }
        return env.containsKey("AWS_PROFILE") ? "of profile '" + profile(env) + "'" : "the default credential chain found";
    }

    /** What to do when AWS refuses the credentials. */
    public static String remedy(Map<String, String> env) {
        if (env.containsKey("AWS_ACCESS_KEY_ID")) {
            return "export a valid AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), then run this again";
        }
        return "run `aws sso login --profile " + profile(env) + "` (or renew the profile's keys), then run this again";
    }

    /** The sentence for credentials that could not be found or loaded at all: what was looked for, and what to do. */
    public static String missing(Map<String, String> env, SdkClientException e) {
        Path config = ProfileFileLocation.configurationFilePath();
        Path keys = ProfileFileLocation.credentialsFilePath();
        String name = profile(env);
        Map<String, Profile> profiles;
        try {
            profiles = ProfileFile.defaultProfileFile().profiles();
        } catch (RuntimeException unreadable) {
            return "cannot read the AWS profiles in " + config + " and " + keys + " (" + unreadable.getMessage() + "): fix the file, then run this again";
        }
        Optional<Profile> profile = Optional.ofNullable(profiles.get(name));
        boolean named = env.containsKey("AWS_PROFILE");
        if (profile.isEmpty() && named) {
            List<String> known = new ArrayList<>(profiles.keySet());
            return "the profile '" + name + "' (AWS_PROFILE) is in neither " + config + " nor " + keys
                    + (known.isEmpty() ? ", which hold no profile: make it" : ", which hold " + known + ": export AWS_PROFILE=<one of them>, or make it")
                    + " with `aws configure sso --profile " + name + "`, then run this again";
        }
        if (profile.isPresent() && (profile.get().property("sso_session").isPresent() || profile.get().property("sso_start_url").isPresent())) {
            return "the SSO session of profile '" + name + "' has expired or was never started: run `aws sso login --profile " + name
                    + "`, then run this again";
        }
        if (profile.isPresent()) {
            return "the profile '" + name + "' in " + config + " gave no credentials (" + firstReason(e) + "): fix it, or export AWS_PROFILE=<another "
                    + "profile>, then run this again";
        }
        return "no AWS credentials found: looked in the environment (AWS_ACCESS_KEY_ID, AWS_WEB_IDENTITY_TOKEN_FILE), the profile '" + name
                + "' in " + config + " and " + keys + ", and the container's and instance's roles; sign in with `aws sso login --profile NAME` "
                + "and `export AWS_PROFILE=NAME` (or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), then run this again";
    }

    /** The SDK's reason, without its list of every provider it tried. */
    private static String firstReason(Throwable e) {
        String message = String.valueOf(e.getMessage());
        Matcher m = Pattern.compile("ProfileCredentialsProvider\\([^)]*\\): ([^:,]+(?:[^,]*)?)").matcher(message);
        String reason = m.find() ? m.group(1) : message;
        return reason.length() > 200 ? reason.substring(0, 200) + "…" : reason;
    }
}
