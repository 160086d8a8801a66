import 'aws-sdk-client-mock-jest';

// The sandbox calls no AWS endpoint; the SDK's notice about future Node versions is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
