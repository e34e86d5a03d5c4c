// The Functions runtime provides `Twilio.Response` and `Runtime` as globals; these are their types.
/// <reference types="@twilio-labs/serverless-runtime-types" />
