"""moto's server, plus the one Step Functions call tripbeam's scripts make that moto 5.2 lacks.

ValidateStateMachineDefinition answers as Step Functions does (HTTP 200, result OK or FAIL with diagnostics),
judging the definition with moto's own ASL parser, the one its CreateStateMachine uses when definitions are parsed.
Usage: python3 moto_server.py [moto.server's arguments].
"""
import sys

from moto.core.responses import ActionResult
from moto.server import main
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.responses import StepFunctionResponse


def validate_state_machine_definition(self):
    definition = self._get_param("definition")
    try:
        AmazonStateLanguageParser.parse(definition)
    except Exception as error:  # the parser's own exceptions and JSON errors alike
        diagnostic = {"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": str(error)[:1000]}
        return ActionResult({"result": "FAIL", "diagnostics": [diagnostic], "truncated": False})
    return ActionResult({"result": "OK", "diagnostics": [], "truncated": False})


StepFunctionResponse.validate_state_machine_definition = validate_state_machine_definition

if __name__ == "__main__":
    main(sys.argv[1:])
