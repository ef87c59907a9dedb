package dev.tripbeam.cli;

import dev.tripbeam.serving.ServingLogin;
import java.util.regex.Pattern;

/**
 * Refuses command-line arguments that carry credentials, before any parser can echo them. An argument is refused when
 * its option name speaks of credentials, secrets, passwords or tokens, or when its value holds a credential field (the
 * JSON of an AWS credentials provider, a password); the error names the option, never the value. The one exception is
 * {@code --servingSecretArn} with a Secrets Manager ARN: it names a secret, it does not hold one.
 */
final class CredentialGuard {
  private static final Pattern NAME =
      Pattern.compile("(?i).*(credential|secret|password|passwd|token|accesskey|sessionkey|privatekey).*");
  private static final Pattern VALUE =
      Pattern.compile("(?i).*(secretaccesskey|accesskeyid|sessiontoken|password|staticcredentialsprovider).*");

  private static final String WHERE =
      "credentials are never options: AWS's come from the provider chain or --awsProfile, the serving database's "
          + "from PGUSER/PGPASSWORD, a password file or --servingSecretArn";

  private CredentialGuard() {}

  /**
   * The message for the first credential-bearing argument, or null when there is none.
   *
   * @param args the raw command line
   */
  static String refusal(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        if (VALUE.matcher(arg).matches()) {
          return "an argument holds a credential; " + WHERE + " (the value is not shown)";
        }
        continue;
      }
      String body = arg.replaceFirst("^-+", "");
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      String value = eq < 0 ? "" : body.substring(eq + 1);
      if (name.equals("servingSecretArn") && ServingLogin.isSecretArn(value)) {
        continue;
      }
      if (NAME.matcher(name).matches() || VALUE.matcher(value).matches()) {
        return "--" + safeName(name) + " is refused: " + WHERE + " (the value is not shown)";
      }
    }
    return null;
  }

  private static String safeName(String name) {
    String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "");
    return cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
  }
}
