"""Checks a call's parameters against botocore's service model, as the AWS CLI does before it sends the call.

Usage: python3 botocore_validate.py SERVICE OPERATION FILE.json
Prints "valid" and exits 0, or prints botocore's report and exits 1.
"""
import json
import sys

import botocore.session
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters

service, operation, path = sys.argv[1:4]
with open(path, encoding="utf-8") as f:
    params = json.load(f)
shape = botocore.session.get_session().get_service_model(service).operation_model(operation).input_shape
try:
    validate_parameters(params, shape)
except ParamValidationError as error:
    print(str(error))
    sys.exit(1)
print("valid")
