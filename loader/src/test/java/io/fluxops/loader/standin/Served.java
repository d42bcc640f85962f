package io.fluxops.loader.standin;

/**
 * One request the stand-in answered, for assertions.
 *
 * @param host "hub" or "files"
 * @param range the Range header, or empty
 * @param authorized whether it carried an Authorization header
 */
public record Served(
    String host, String method, String path, String range, boolean authorized, int status) {}
